"""Work apps — 企业微信 / 政务微信 and 钉钉 / 政务钉钉: their API clients, who is who there
(bindings), sign-in from the work app, and a local fake of each provider for tests and demos."""
