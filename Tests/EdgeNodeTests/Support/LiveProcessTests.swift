import Testing

/// The suites that run real `edge-node` processes, one test at a time: on two cores, several live
/// deployments at once would starve each other and turn their deadlines into flakiness.
@Suite(.serialized) enum LiveProcessTests {}
