import { describe, expect, it } from 'vitest';
import type { Message, MessageGroup } from '../api/types';
import { applyMessageToGroups, mergeGroups, mergeMessages } from '../lib/merge';

const t = (min: number) => `2026-03-10T12:${String(min).padStart(2, '0')}:00.000000+00:00`;
const m = (uuid: string, min: number, text = uuid): Message => ({ uuid, handle: 'h', display_name: 'H', message: text, created_at: t(min) });
const g = (uuid: string, min: number, text = ''): MessageGroup => ({ uuid, handle: uuid, display_name: uuid, message: text, created_at: t(min) });

describe('mergeMessages', () => {
  it('keeps one copy per uuid, oldest first', () => {
    const out = mergeMessages([m('a', 1), m('b', 2)], [m('b', 2), m('c', 3), m('a', 1)]);
    expect(out.map((x) => x.uuid)).toEqual(['a', 'b', 'c']);
  });
  it('puts an older page before the loaded messages', () => {
    expect(mergeMessages([m('x', 1), m('y', 2)], [m('c', 3), m('d', 4)]).map((x) => x.uuid)).toEqual(['x', 'y', 'c', 'd']);
  });
  it('keeps arrival order for equal times', () => {
    expect(mergeMessages([m('z', 1), m('a', 1)], [m('k', 1)]).map((x) => x.uuid)).toEqual(['z', 'a', 'k']);
  });
  it('drops fields that are not part of a message (message_group_uuid of live events)', () => {
    const [only] = mergeMessages([], [{ ...m('a', 1), message_group_uuid: 'g' } as Message]);
    expect(Object.keys(only).sort()).toEqual(['created_at', 'display_name', 'handle', 'message', 'uuid']);
  });
});

describe('mergeGroups / applyMessageToGroups', () => {
  it('orders conversations newest first and never moves one back in time', () => {
    const out = mergeGroups([g('a', 5, 'new'), g('b', 3)], [g('a', 1, 'stale'), g('c', 4)]);
    expect(out.map((x) => x.uuid)).toEqual(['a', 'c', 'b']);
    expect(out[0].message).toBe('new');
  });
  it('moves the conversation of a new message to the top with its text', () => {
    const r = applyMessageToGroups([g('a', 5), g('b', 3)], { ...m('m', 9, 'hello'), message_group_uuid: 'b' });
    expect(r.known).toBe(true);
    expect(r.groups.map((x) => [x.uuid, x.message])).toEqual([
      ['b', 'hello'],
      ['a', ''],
    ]);
    expect(r.groups[0].handle).toBe('b'); // still names the other participant
  });
  it('reports an unknown conversation', () => {
    const r = applyMessageToGroups([g('a', 5)], { ...m('m', 9), message_group_uuid: 'zzz' });
    expect(r.known).toBe(false);
    expect(r.groups.map((x) => x.uuid)).toEqual(['a']);
  });
});

describe('mergeMessages keeps objects', () => {
  it('keeps the object of a message that did not change (its row is not rendered again)', () => {
    const a = { uuid: 'a', handle: 'h', display_name: 'H', message: 'one', created_at: '2026-01-01T00:00:00+00:00' };
    const b = { uuid: 'b', handle: 'h', display_name: 'H', message: 'two', created_at: '2026-01-01T00:01:00+00:00' };
    const merged = mergeMessages([a, b], [{ ...a }, { ...b, message: 'edited' }]);
    expect(merged[0]).toBe(a);
    expect(merged[1]).not.toBe(b);
    expect(merged[1].message).toBe('edited');
  });
});

