import * as pulumi from "@pulumi/pulumi";
import * as mixpanel from "@pulumi-mixpanel/mixpanel";

const config = new pulumi.Config();

// An explicit provider: the credentials and endpoint of one Mixpanel project.
const project = new mixpanel.Provider("project", {
    endpoint: config.require("endpoint"),
    serviceAccountUsername: "emulator",
    serviceAccountSecret: config.requireSecret("serviceAccountSecret"),
    projectId: "1",
});

const raw = new mixpanel.S3RawPipeline("raw-events", {
    s3Bucket: config.get("bucket") ?? "acme-raw-events",
    s3Region: "us-west-2",
    s3Role: "arn:aws:iam::123456789012:role/mixpanel-writer",
    fromDate: config.require("fromDate"),
    events: ["Signup", "Purchase"],
}, { provider: project });

export const pipelineNames = raw.pipelineNames;

// With readProject, the program also reads the project through the same provider (reads: a
// preview makes them too): its pipelines once the one above exists, and how that one is doing.
export const listedNames = config.getBoolean("readProject")
    ? mixpanel.getPipelinesOutput({ provider: project, dependsOn: [raw] }).pipelines.apply(found => found.map(p => p.name).sort())
    : undefined;
export const rawHealth = config.getBoolean("readProject")
    ? mixpanel.getPipelineStatusOutput({ name: raw.pipelineNames[0] }, { provider: project }).health
    : undefined;
