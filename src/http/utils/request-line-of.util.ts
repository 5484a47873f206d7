/** A request line as Node's parser would take it: a method, a target of visible ASCII, the version. */
const REQUEST_LINE = /^([A-Z][A-Z-]{0,19}) ([\x21-\x7e]{1,4096}) HTTP\/\d\.\d\r?\n/;

/**
 * The method and target of a request that Node's parser refused, read from the start of the
 * bytes it was parsing (its `rawPacket`), for the access line: only the request line is read,
 * never a header value or the body. Null when those bytes do not start with a request line (the
 * method itself was refused, or the packet is the middle of a request).
 */
export function requestLineOf(packet: Buffer | undefined): { method: string; url: string } | null {
  if (packet === undefined) return null;
  const match = REQUEST_LINE.exec(packet.subarray(0, 4200).toString('latin1'));
  return match === null ? null : { method: match[1], url: match[2] };
}
