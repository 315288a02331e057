// grpc.health.v1.Health/Check: SERVING for the session's whole life (0.8 closes the session on one failure).

import { create, toBinary } from "@bufbuild/protobuf";
import { HealthCheckResponseSchema, HealthCheckResponse_ServingStatus } from "../gen/session/health_pb.ts";
import type { CounterSet } from "./counters.ts";
import type { GrpcCall } from "./grpc-call.ts";
import { GrpcStatus } from "./grpc-status.ts";

const SERVING = toBinary(HealthCheckResponseSchema, create(HealthCheckResponseSchema, { status: HealthCheckResponse_ServingStatus.SERVING }));

export async function serveHealthCheck(call: GrpcCall, counters: CounterSet): Promise<void> {
  await call.firstMessage();
  await call.send(SERVING);
  call.finish(GrpcStatus.ok);
  counters.healthChecks++;
}
