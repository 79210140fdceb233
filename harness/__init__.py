"""Drivers shared by the test suite and the benchmark, which import nothing from each other:
valid inputs per pipeline type (`inputs`), the emulator's admin client and process
(`emulator`), both provider servers driven over gRPC as the engine drives them (`servers`),
Pulumi programs under the SDK's mocks (`program`), the environment the real CLI runs this
checkout's Python programs in (`cli`), the wire encoding of secrets (`secrets`) and a throwaway
certificate authority (`tls`)."""
