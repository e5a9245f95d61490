/**
 * socket.io's own packet format, with a binary packet's parts sent as one WebSocket message.
 * The default parser sends a packet with binary (a `position:frame`) as a text message naming
 * placeholders and then one binary message per attachment: two sends per client per frame
 * where a hand-written server makes one. Here the parts travel together in one binary message,
 * and each side feeds them to socket.io's default decoder in the order it expects, so every
 * packet means what it means under the default parser.
 *
 * The message, big-endian lengths: u32 byte length of the packet's text (UTF-8) and the text;
 * then each attachment as a u32 byte length and its bytes. Packets without binary go as the
 * default's single text message. Both sides pass this module as socket.io's `parser` option.
 */
import { Decoder as DefaultDecoder, Encoder as DefaultEncoder, type Packet } from 'socket.io-parser';

const LENGTH_BYTES = 4;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export class Encoder extends DefaultEncoder {
  override encode(packet: Packet): Array<string | Uint8Array> {
    const [text, ...attachments] = super.encode(packet) as [string, ...unknown[]];
    if (attachments.length === 0) return [text];
    return [joinParts(text, attachments.map(attachmentBytes))];
  }
}

export class Decoder extends DefaultDecoder {
  override add(message: unknown): void {
    if (typeof message === 'string') return super.add(message);
    const bytes = asBytes(message);
    if (bytes === null) throw new Error('Unknown message type');
    const [text, ...attachments] = splitParts(bytes);
    if (attachmentsNamed(text) !== attachments.length) throw new Error('Attachment count does not match the packet');
    super.add(text);
    for (const attachment of attachments) super.add(attachment);
  }
}

/** An attachment as bytes: socket.io takes any ArrayBuffer or view; Blobs are not sent here. */
function attachmentBytes(attachment: unknown): Uint8Array {
  const bytes = asBytes(attachment);
  if (bytes === null) throw new Error('Only ArrayBuffers and their views can be sent as binary');
  return bytes;
}

function joinParts(text: string, attachments: Uint8Array[]): Uint8Array {
  const parts = [utf8.encode(text), ...attachments];
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + LENGTH_BYTES + part.byteLength, 0));
  const view = new DataView(joined.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.byteLength);
    joined.set(part, offset + LENGTH_BYTES);
    offset += LENGTH_BYTES + part.byteLength;
  }
  return joined;
}

/** The message's text and its attachments (views on the message, not copies). */
function splitParts(bytes: Uint8Array): [string, ...Uint8Array[]] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (offset + LENGTH_BYTES > bytes.byteLength) throw new Error('Truncated part length');
    const length = view.getUint32(offset);
    const start = offset + LENGTH_BYTES;
    if (start + length > bytes.byteLength) throw new Error('Truncated part');
    parts.push(bytes.subarray(start, start + length));
    offset = start + length;
  }
  const [text, ...attachments] = parts;
  if (text === undefined) throw new Error('Empty message');
  return [fromUtf8.decode(text), ...attachments];
}

/** How many attachments a packet's text announces: `51-…` is a binary event with one. */
function attachmentsNamed(text: string): number {
  const binary = /^[56](\d+)-/.exec(text);
  return binary === null ? 0 : Number(binary[1]);
}

function asBytes(message: unknown): Uint8Array | null {
  if (message instanceof Uint8Array) return message;
  if (message instanceof ArrayBuffer) return new Uint8Array(message);
  if (ArrayBuffer.isView(message)) return new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
  return null;
}
