// Docker's multiplexed stream format ("application/vnd.docker.multiplexed-stream"): when a container has
// no tty, stdout and stderr share one connection, so each chunk is prefixed by an 8-byte header:
//   [stream type: 0 stdin, 1 stdout, 2 stderr] [0 0 0] [payload length, uint32 big-endian]
// With a tty there is only one stream and bytes go raw. The docker CLI's `stdcopy` undoes this framing.

export const STREAM_TYPES = { stdin: 0, stdout: 1, stderr: 2 } as const;
export type StreamName = keyof typeof STREAM_TYPES;

export const FRAME_HEADER_SIZE = 8;
const MAX_FRAME_PAYLOAD = 0xffffffff;

export function encodeFrame(stream: StreamName, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`frame payload of ${payload.length} bytes is too large`);
  const header = Buffer.alloc(FRAME_HEADER_SIZE);
  header[0] = STREAM_TYPES[stream];
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

export interface Frame {
  stream: StreamName;
  payload: Buffer;
}

/** Reassembles frames from chunks cut anywhere (tests and boxlab's own clients use it). */
export class FrameDecoder {
  private buffered = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    while (this.buffered.length >= FRAME_HEADER_SIZE) {
      const type = this.buffered[0];
      const length = this.buffered.readUInt32BE(4);
      if (this.buffered.length < FRAME_HEADER_SIZE + length) break;
      const name = (Object.keys(STREAM_TYPES) as StreamName[]).find((k) => STREAM_TYPES[k] === type);
      if (name === undefined) throw new Error(`invalid stream type ${type} in frame header: expected 0, 1 or 2`);
      frames.push({ stream: name, payload: this.buffered.subarray(FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + length) });
      this.buffered = this.buffered.subarray(FRAME_HEADER_SIZE + length);
    }
    return frames;
  }

  /** bytes of an incomplete frame still waiting for the rest */
  get pending(): number {
    return this.buffered.length;
  }
}
