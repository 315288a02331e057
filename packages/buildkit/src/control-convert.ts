// Between our plain types (control-types.ts) and the generated messages; nothing generated leaves this file.
import { create } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type {
  SolveRequest as SolveRequestMessage,
  StatusResponse as StatusResponseMessage,
  UsageRecord as UsageRecordMessage,
} from "./gen/moby/buildkit/v1/control_pb.ts";
import { CacheOptionsEntrySchema, CacheOptionsSchema, SolveRequestSchema } from "./gen/moby/buildkit/v1/control_pb.ts";
import type { WorkerRecord } from "./gen/moby/buildkit/v1/types/worker_pb.ts";
import type { Definition } from "./gen/pb/ops_pb.ts";
import { DefinitionSchema, ExportCacheSchema, OpMetadataSchema } from "./gen/pb/ops_pb.ts";
import type {
  CacheEntry,
  LLBDefinition,
  RawStatusResponse,
  SolveRequest,
  UsageRecord,
  WorkerInfo,
} from "./control-types.ts";

const utf8 = new TextDecoder();

export function timestampToMs(timestamp: Timestamp | undefined): number | undefined {
  return timestamp === undefined ? undefined : Number(timestamp.seconds) * 1000 + timestamp.nanos / 1e6;
}

export function definitionMessage(definition: LLBDefinition): Definition {
  const metadata: Definition["metadata"] = {};
  for (const [digest, meta] of Object.entries(definition.metadata ?? {})) {
    metadata[digest] = create(OpMetadataSchema, {
      ignoreCache: meta.ignoreCache ?? false,
      description: { ...meta.description },
      ...(meta.exportCache === undefined ? {} : { exportCache: create(ExportCacheSchema, { value: meta.exportCache }) }),
      caps: { ...meta.caps },
    });
  }
  return create(DefinitionSchema, { def: [...definition.def], metadata });
}

export function solveRequestMessage(request: SolveRequest & { readonly ref: string }): SolveRequestMessage {
  const frontendInputs: SolveRequestMessage["frontendInputs"] = {};
  for (const [name, definition] of Object.entries(request.frontendInputs ?? {})) {
    frontendInputs[name] = definitionMessage(definition);
  }
  const entry = (e: CacheEntry) => create(CacheOptionsEntrySchema, { type: e.type, attrs: { ...e.attrs } });
  const hasCache = (request.cacheImports?.length ?? 0) + (request.cacheExports?.length ?? 0) > 0;
  return create(SolveRequestSchema, {
    ref: request.ref,
    ...(request.definition === undefined ? {} : { definition: definitionMessage(request.definition) }),
    // Fields 3 and 4: the only exporter fields BuildKit 0.8 knows, and still honoured by newer BuildKit.
    exporter: request.exporter?.type ?? "",
    exporterAttrs: { ...request.exporter?.attrs },
    session: request.session ?? "",
    frontend: request.frontend ?? "",
    frontendAttrs: { ...request.frontendAttrs },
    ...(hasCache
      ? {
          cache: create(CacheOptionsSchema, {
            imports: (request.cacheImports ?? []).map(entry),
            exports: (request.cacheExports ?? []).map(entry),
          }),
        }
      : {}),
    entitlements: [...(request.entitlements ?? [])],
    frontendInputs,
  });
}

export function rawStatusResponse(message: StatusResponseMessage): RawStatusResponse {
  return {
    vertexes: message.vertexes.map((v) => ({
      digest: v.digest,
      inputs: [...v.inputs],
      name: v.name,
      cached: v.cached,
      started: timestampToMs(v.started),
      completed: timestampToMs(v.completed),
      error: v.error,
    })),
    statuses: message.statuses.map((s) => ({
      id: s.id,
      vertex: s.vertex,
      name: s.name,
      current: Number(s.current),
      total: Number(s.total),
      timestamp: timestampToMs(s.timestamp),
      started: timestampToMs(s.started),
      completed: timestampToMs(s.completed),
    })),
    logs: message.logs.map((l) => ({
      vertex: l.vertex,
      timestamp: timestampToMs(l.timestamp),
      stream: Number(l.stream),
      data: l.msg,
    })),
    warnings: message.warnings.map((w) => ({
      vertex: w.vertex,
      level: Number(w.level),
      short: utf8.decode(w.short),
      detail: w.detail.map((d) => utf8.decode(d)),
      url: w.url,
    })),
  };
}

export function workerInfo(record: WorkerRecord): WorkerInfo {
  return {
    id: record.id,
    labels: { ...record.labels },
    platforms: record.platforms.map((p) => ({
      architecture: p.architecture,
      os: p.os,
      ...(p.variant === "" ? {} : { variant: p.variant }),
    })),
  };
}

export function usageRecord(record: UsageRecordMessage): UsageRecord {
  return {
    id: record.id,
    mutable: record.mutable,
    inUse: record.inUse,
    size: Number(record.size),
    parent: record.parent,
    createdAt: timestampToMs(record.createdAt),
    lastUsedAt: timestampToMs(record.lastUsedAt),
    usageCount: Number(record.usageCount),
    description: record.description,
    recordType: record.recordType,
    shared: record.shared,
  };
}
