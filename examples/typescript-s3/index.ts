// A raw Mixpanel export (s3-raw) into a private S3 bucket, written through a role Mixpanel assumes.
//
// The bucket and the role come from @pulumi/aws; the pipeline from the mixpanel provider plugin,
// through the Node.js SDK generated from its schema. Mixpanel's credentials are the default
// provider's: `pulumi config set mixpanel:serviceAccountUsername ...` and so on (see README).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as mixpanel from "@pulumi-mixpanel/mixpanel";

const config = new pulumi.Config();
// Mixpanel gives you its export principal's ARN and the external id when you set up an S3 export.
const mixpanelPrincipalArn = config.require("mixpanelPrincipalArn");
const mixpanelExternalId = config.require("mixpanelExternalId");
// Set once: a start date computed from today would replace the pipeline every day.
const fromDate = config.require("fromDate");

const bucket = new aws.s3.Bucket("mixpanel-raw");

new aws.s3.BucketPublicAccessBlock("mixpanel-raw", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
});

const role = new aws.iam.Role("mixpanel-raw", {
    description: "Assumed by Mixpanel to write the raw export",
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { AWS: mixpanelPrincipalArn },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": mixpanelExternalId } },
        }],
    }),
});

new aws.iam.RolePolicy("mixpanel-raw", {
    role: role.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
        }],
    }),
});

const region = aws.getRegionOutput();

const raw = new mixpanel.S3RawPipeline("raw-events", {
    s3Bucket: bucket.bucket,
    s3Region: region.region,
    s3Role: role.arn,
    s3Prefix: "mixpanel/raw/",
    s3Encryption: "aes",
    fromDate: fromDate,
    frequency: "hourly",
});

export const bucketName = bucket.bucket;
export const pipelineNames = raw.pipelineNames;
