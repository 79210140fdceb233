// Mixpanel data-export pipelines (the Data Pipelines API) as Pulumi resources.
package mixpanel
