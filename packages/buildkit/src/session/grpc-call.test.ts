import { describe, expect, it } from "vitest";
import { FrameError, decodeFrames, encodeFrame, encodeGrpcMessage } from "./grpc-call.ts";

async function decode(chunks: Uint8Array[], maxBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const message of decodeFrames(toAsync(chunks), maxBytes)) out.push(Buffer.from(message).toString("hex"));
  return out;
}

async function* toAsync(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}

describe("gRPC framing", () => {
  it("frames a message with flag 0 and a big-endian length", () => {
    expect(encodeFrame(Uint8Array.of(8, 1)).toString("hex")).toBe("00000000020801");
    expect(encodeFrame(new Uint8Array(0)).toString("hex")).toBe("0000000000");
  });

  it("splits messages wherever the chunks cut them", async () => {
    const bytes = Buffer.concat([encodeFrame(Uint8Array.of(8, 1)), encodeFrame(new Uint8Array(0)), encodeFrame(Uint8Array.of(8, 3))]);
    const chunks = [...bytes].map((byte) => Uint8Array.of(byte));
    expect(await decode(chunks)).toEqual(["0801", "", "0803"]);
    expect(await decode([bytes])).toEqual(["0801", "", "0803"]);
  });

  it("refuses compressed, oversized and truncated frames", async () => {
    await expect(decode([Uint8Array.of(1, 0, 0, 0, 0)])).rejects.toThrow(FrameError);
    await expect(decode([Uint8Array.of(0, 0, 0, 0, 10)], 4)).rejects.toMatchObject({ status: 8 });
    await expect(decode([Uint8Array.of(0, 0, 0, 0, 2, 8)])).rejects.toMatchObject({ status: 13 });
  });

  it("percent-encodes grpc-message outside printable ASCII and %", () => {
    expect(encodeGrpcMessage("secret x not found")).toBe("secret x not found");
    expect(encodeGrpcMessage("100% é\n")).toBe("100%25 %C3%A9%0A");
  });
});
