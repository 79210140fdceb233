// A Go program on the generated Go SDK: one raw GCS pipeline through the default
// provider, configured with the stack's mixpanel:* settings.
package main

import (
	"github.com/pulumi-mixpanel/pulumi-mixpanel/sdk/go/mixpanel"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		bucket := cfg.Get("bucket")
		if bucket == "" {
			bucket = "acme-raw-events"
		}
		raw, err := mixpanel.NewGcsRawPipeline(ctx, "raw-events", &mixpanel.GcsRawPipelineArgs{
			GcsBucket: pulumi.String(bucket),
			GcsRegion: pulumi.String("us-central1"),
			// From config, not the clock, so a second run plans no change.
			FromDate: pulumi.String(cfg.Require("fromDate")),
		})
		if err != nil {
			return err
		}
		ctx.Export("pipelineNames", raw.PipelineNames)
		return nil
	})
}
