// A Go program on the generated Go SDK: one raw GCS pipeline through an explicit provider,
// and, with readProject, the project's pipelines and that one's health read through it.
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
		// An explicit provider: the credentials and endpoint of one Mixpanel project.
		project, err := mixpanel.NewProvider(ctx, "project", &mixpanel.ProviderArgs{
			Endpoint:               pulumi.StringPtr(cfg.Require("endpoint")),
			ServiceAccountUsername: pulumi.StringPtr("emulator"),
			ServiceAccountSecret:   cfg.RequireSecret("serviceAccountSecret"),
			ProjectId:              pulumi.StringPtr("1"),
		})
		if err != nil {
			return err
		}
		raw, err := mixpanel.NewGcsRawPipeline(ctx, "raw-events", &mixpanel.GcsRawPipelineArgs{
			GcsBucket: pulumi.String(bucket),
			GcsRegion: pulumi.String("us-central1"),
			// From config, not the clock, so a second run plans no change.
			FromDate: pulumi.String(cfg.Require("fromDate")),
		}, pulumi.Provider(project))
		if err != nil {
			return err
		}
		ctx.Export("pipelineNames", raw.PipelineNames)
		if cfg.GetBool("readProject") {
			// Reads of the project through the same provider (a preview makes them too): its
			// pipelines once the one above exists, and how that one is doing.
			listed := mixpanel.GetPipelinesOutput(ctx, pulumi.Provider(project), pulumi.DependsOn([]pulumi.Resource{raw}))
			ctx.Export("listedNames", listed.Pipelines().ApplyT(func(found []mixpanel.PipelineSummary) []string {
				names := make([]string, len(found))
				for i, pipeline := range found {
					names[i] = pipeline.Name
				}
				return names
			}))
			status := mixpanel.GetPipelineStatusOutput(ctx, mixpanel.GetPipelineStatusOutputArgs{
				Name: raw.PipelineNames.Index(pulumi.Int(0)),
			}, pulumi.Provider(project))
			ctx.Export("rawHealth", status.Health())
		}
		return nil
	})
}
