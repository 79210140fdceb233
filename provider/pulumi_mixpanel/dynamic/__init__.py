"""The dynamic front end: `MixpanelPipeline` and the dynamic `ResourceProvider` behind it."""
