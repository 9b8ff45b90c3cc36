// DNS messages (RFC 1035 section 4), just enough for an embedded DNS server like Docker's at 127.0.0.11:
// read the question of a query, and build an answer with A records, an empty answer (NOERROR, no
// records: "the name exists, not with this type"), or an error code (NXDOMAIN, SERVFAIL, REFUSED).
// Pure: bytes in, bytes out; the UDP socket is in dns-server.ts.

/** response codes (the RCODE field of the header) */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** record types (QTYPE) */
export const QTYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, ANY: 255 } as const;
const CLASS_IN = 1;

export interface DnsQuery {
  id: number;
  /** the header's flags as sent (opcode and the RD bit are echoed back) */
  flags: number;
  /** lower case, without the final dot: "web" */
  name: string;
  qtype: number;
  qclass: number;
  /** the question section's bytes, echoed in the answer */
  question: Buffer;
}

/** the question of a query; undefined for what is not one query with one question (the server drops it) */
export function parseQuery(msg: Buffer): DnsQuery | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  const isResponse = (flags & 0x8000) !== 0;
  if (isResponse || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  // a query's name has no compression pointers (nothing before it to point at): labels until a zero byte
  for (;;) {
    if (at >= msg.length) return undefined;
    const len = msg[at];
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return undefined;
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  at += 1;
  if (at + 4 > msg.length) return undefined;
  return {
    id: msg.readUInt16BE(0),
    flags,
    name: labels.join('.').toLowerCase(),
    qtype: msg.readUInt16BE(at),
    qclass: msg.readUInt16BE(at + 2),
    question: msg.subarray(12, at + 4),
  };
}

/**
 * The answer to `q`: QR (a response), AA (the engine is the authority for its containers' names), RA
 * (it recurses for other names, by forwarding), RD and the opcode echoed; one A record per address,
 * each pointing back at the question's name (0xc00c: the compression pointer to offset 12).
 */
export function buildAnswer(q: DnsQuery, rcode: number, addresses: readonly string[] = [], ttl = 600): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  const authoritative = rcode === RCODE.NOERROR || rcode === RCODE.NXDOMAIN ? 0x0400 : 0;
  header.writeUInt16BE(0x8000 | (q.flags & 0x7900) | authoritative | 0x0080 | (rcode & 0xf), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const records = addresses.map((ip) => {
    const r = Buffer.alloc(16);
    r.writeUInt16BE(0xc00c, 0);
    r.writeUInt16BE(QTYPE.A, 2);
    r.writeUInt16BE(CLASS_IN, 4);
    r.writeUInt32BE(ttl, 6);
    r.writeUInt16BE(4, 10);
    ip.split('.').forEach((octet, i) => r.writeUInt8(Number(octet), 12 + i));
    return r;
  });
  return Buffer.concat([header, q.question, ...records]);
}

/** the RCODE of a response (an upstream server's answer) */
export function responseCode(msg: Buffer): number | undefined {
  return msg.length >= 12 && (msg.readUInt16BE(2) & 0x8000) ? msg[3] & 0xf : undefined;
}

/** the A records of a response, read for tests and traces (names compressed or not) */
export function answerAddresses(msg: Buffer): string[] {
  if (msg.length < 12) return [];
  const skipName = (at: number): number => {
    while (at < msg.length) {
      const len = msg[at];
      if (len === 0) return at + 1;
      if ((len & 0xc0) === 0xc0) return at + 2;
      at += 1 + len;
    }
    return at;
  };
  let at = 12;
  for (let i = 0; i < msg.readUInt16BE(4); i++) at = skipName(at) + 4;
  const out: string[] = [];
  for (let i = 0; i < msg.readUInt16BE(6) && at < msg.length; i++) {
    at = skipName(at);
    const type = msg.readUInt16BE(at);
    const rdlength = msg.readUInt16BE(at + 8);
    if (type === QTYPE.A && rdlength === 4) out.push([...msg.subarray(at + 10, at + 14)].join('.'));
    at += 10 + rdlength;
  }
  return out;
}
