// What a session transferred, for the caller's report and for tests (e.g. "the rebuild sent exactly one file").

/** FileSync traffic of one local directory name, summed over its DiffCopy calls. */
export interface DirCounters {
  /** DiffCopy calls served for this name (BuildKit's Dockerfile frontend syncs `context` twice). */
  readonly calls: number;
  /** STAT packets sent (entries, without the terminator). */
  readonly entriesSent: number;
  /** Files whose contents the engine requested and received. */
  readonly filesSent: number;
  /** Content bytes sent (file data only, no protocol overhead). */
  readonly bytesSent: number;
  /** Wall time of the calls, from the engine's request to our FIN, in milliseconds. */
  readonly millis: number;
}

/** A snapshot of a session's counters. */
export interface SessionCounters {
  /** FileSync totals over every directory. */
  readonly entriesSent: number;
  readonly filesSent: number;
  readonly bytesSent: number;
  /** FileSync per local directory name (`context`, `dockerfile`). */
  readonly byDir: Readonly<Record<string, DirCounters>>;
  /** FileSend: regular files written (`local` exporter). */
  readonly filesReceived: number;
  /** FileSend: bytes written (file contents for `local`, the stream for `tar`). */
  readonly bytesReceived: number;
  /** Secrets handed out (GetSecret answered with a value). */
  readonly secretsServed: number;
  /** Health checks answered. */
  readonly healthChecks: number;
}

interface MutableDirCounters {
  calls: number;
  entriesSent: number;
  filesSent: number;
  bytesSent: number;
  millis: number;
}

/** The session's live counters; `snapshot` copies them. */
export class CounterSet {
  readonly #dirs = new Map<string, MutableDirCounters>();
  filesReceived = 0;
  bytesReceived = 0;
  secretsServed = 0;
  healthChecks = 0;

  dir(name: string): MutableDirCounters {
    let counters = this.#dirs.get(name);
    if (counters === undefined) {
      counters = { calls: 0, entriesSent: 0, filesSent: 0, bytesSent: 0, millis: 0 };
      this.#dirs.set(name, counters);
    }
    return counters;
  }

  snapshot(): SessionCounters {
    const byDir: Record<string, DirCounters> = {};
    let entriesSent = 0;
    let filesSent = 0;
    let bytesSent = 0;
    for (const [name, dir] of [...this.#dirs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      byDir[name] = { ...dir };
      entriesSent += dir.entriesSent;
      filesSent += dir.filesSent;
      bytesSent += dir.bytesSent;
    }
    return {
      entriesSent,
      filesSent,
      bytesSent,
      byDir,
      filesReceived: this.filesReceived,
      bytesReceived: this.bytesReceived,
      secretsServed: this.secretsServed,
      healthChecks: this.healthChecks,
    };
  }
}
