// The program under Pulumi's mocks: no cloud, no Mixpanel. Run with `npm test`.
import * as assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";

type Registered = { type: string; name: string; inputs: Record<string, any> };
const registered: Registered[] = [];
const ACCOUNT = "123456789012";

pulumi.runtime.setAllConfig({
    "typescript-s3:mixpanelPrincipalArn": "arn:aws:iam::485438090326:user/mixpanel-export",
    "typescript-s3:mixpanelExternalId": "mixpanel-1234",
    "typescript-s3:fromDate": "2026-11-21",
});

pulumi.runtime.setMocks({
    newResource(args: pulumi.runtime.MockResourceArgs) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        switch (args.type) {
            case "aws:s3/bucket:Bucket": {
                const bucket = `${args.name}-4f2a9c1`;  // an autonamed bucket, as AWS gives it
                return { id: bucket, state: { ...args.inputs, bucket, arn: `arn:aws:s3:::${bucket}` } };
            }
            case "aws:iam/role:Role":
                return { id: `${args.name}-7d1e`, state: { ...args.inputs, arn: `arn:aws:iam::${ACCOUNT}:role/${args.name}-7d1e` } };
            case "mixpanel:index:S3RawPipeline":
                return { id: "events-hourly-s3-raw", state: { ...args.inputs, pipelineNames: ["events-hourly-s3-raw"] } };
            default:
                return { id: `${args.name}-id`, state: args.inputs };
        }
    },
    call(args: pulumi.runtime.MockCallArgs) {
        if (args.token === "aws:index/getRegion:getRegion") {
            return { name: "eu-west-1", region: "eu-west-1", id: "eu-west-1" };
        }
        throw new Error(`the mocks do not answer ${args.token}`);
    },
}, "typescript-s3", "dev", false);

function outputOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

test("the pipeline writes into the bucket, through the role, in the bucket's region", async () => {
    const program = await import("./index");
    assert.deepEqual(await outputOf(program.pipelineNames), ["events-hourly-s3-raw"]);
    const pipeline = registered.find((r) => r.type === "mixpanel:index:S3RawPipeline");
    assert.ok(pipeline, "the program declares an S3RawPipeline");
    assert.equal(pipeline.inputs.s3Bucket, "mixpanel-raw-4f2a9c1");
    assert.equal(pipeline.inputs.s3Role, `arn:aws:iam::${ACCOUNT}:role/mixpanel-raw-7d1e`);
    assert.equal(pipeline.inputs.s3Region, "eu-west-1");
    assert.equal(pipeline.inputs.fromDate, "2026-11-21");
    const trust = JSON.parse(registered.find((r) => r.type === "aws:iam/role:Role")!.inputs.assumeRolePolicy);
    assert.equal(trust.Statement[0].Principal.AWS, "arn:aws:iam::485438090326:user/mixpanel-export");
    assert.equal(trust.Statement[0].Condition.StringEquals["sts:ExternalId"], "mixpanel-1234");
    const block = registered.find((r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    assert.equal(block?.inputs.blockPublicPolicy, true);
});
