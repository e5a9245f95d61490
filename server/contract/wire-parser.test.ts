import { describe, expect, it } from 'vitest';
import { PacketType, type Packet } from 'socket.io-parser';
import { Decoder, Encoder } from './wire-parser.ts';

function decodeAll(messages: unknown[]): Packet[] {
  const decoder = new Decoder();
  const packets: Packet[] = [];
  decoder.on('decoded', (packet: Packet) => packets.push(packet));
  for (const message of messages) decoder.add(message);
  return packets;
}

/** What a browser gets: the message's own ArrayBuffer, not a Node Buffer. */
function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

describe('wire parser', () => {
  it('sends a binary event as one binary message that decodes to the same packet', () => {
    const positions = Uint8Array.from([1, 2, 3, 250, 0, 7]);
    const packet: Packet = { type: PacketType.EVENT, nsp: '/', data: ['position:frame', { fromSeq: 4, toSeq: 5, places: ['110102012'], positions }] };
    const messages = new Encoder().encode(packet);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toBeInstanceOf(Uint8Array);

    const [decoded] = decodeAll([asArrayBuffer(messages[0] as Uint8Array)]);
    expect(decoded!.type).toBe(PacketType.EVENT);
    const [name, frame] = decoded!.data as [string, { fromSeq: number; places: string[]; positions: Uint8Array }];
    expect(name).toBe('position:frame');
    expect(frame.fromSeq).toBe(4);
    expect(frame.places).toEqual(['110102012']);
    expect([...frame.positions]).toEqual([...positions]);
  });

  it('keeps several attachments, a namespace and an ack id in order', () => {
    const packet: Packet = { type: PacketType.ACK, nsp: '/admin', id: 12, data: [{ a: Uint8Array.from([9]), b: [Uint8Array.from([8, 8]), '西城'] }] };
    const [decoded] = decodeAll(new Encoder().encode(packet));
    expect(decoded).toMatchObject({ type: PacketType.ACK, nsp: '/admin', id: 12 });
    const [value] = decoded!.data as [{ a: Uint8Array; b: [Uint8Array, string] }];
    expect([...value.a]).toEqual([9]);
    expect([...value.b[0]]).toEqual([8, 8]);
    expect(value.b[1]).toBe('西城');
  });

  it('sends an ArrayBuffer or a view on part of one as its own bytes', () => {
    const whole = Uint8Array.from([0, 1, 2, 3, 4, 5]);
    const packet: Packet = { type: PacketType.EVENT, nsp: '/', data: ['x', whole.slice(0, 2).buffer, new DataView(whole.buffer, 3, 2)] };
    const [decoded] = decodeAll(new Encoder().encode(packet));
    const [, buffer, view] = decoded!.data as [string, Uint8Array, Uint8Array];
    expect([...buffer]).toEqual([0, 1]);
    expect([...view]).toEqual([3, 4]);
  });

  it('sends a packet without binary as the default text message', () => {
    const packet: Packet = { type: PacketType.EVENT, nsp: '/', data: ['case:changed', { id: 'C1' }] };
    const messages = new Encoder().encode(packet);
    expect(messages).toEqual(['2["case:changed",{"id":"C1"}]']);
    expect(decodeAll(messages)[0]!.data).toEqual(['case:changed', { id: 'C1' }]);
  });

  it('refuses a message whose parts do not add up', () => {
    const [message] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['x', Uint8Array.from([1, 2, 3])] }) as [Uint8Array];
    expect(() => decodeAll([message.subarray(0, message.byteLength - 1)])).toThrow(/Truncated/);
    expect(() => decodeAll([message.subarray(0, 2)])).toThrow(/Truncated/);
    const textOnly = message.subarray(0, 4 + new DataView(message.buffer, message.byteOffset).getUint32(0));
    expect(() => decodeAll([textOnly])).toThrow(/Attachment count/);
    expect(() => decodeAll([new Uint8Array(0)])).toThrow(/Empty/);
    expect(() => decodeAll([42])).toThrow(/Unknown message type/);
  });

  it('decodes a binary packet and then a text packet on one decoder', () => {
    const encoder = new Encoder();
    const first = encoder.encode({ type: PacketType.EVENT, nsp: '/', data: ['a', Uint8Array.from([1])] });
    const second = encoder.encode({ type: PacketType.EVENT, nsp: '/', data: ['b'] });
    expect(decodeAll([...first, ...second]).map((p) => (p.data as [string])[0])).toEqual(['a', 'b']);
  });
});
