import { InvalidRequestError } from '@xuncha/contracts';
import { hostileValue, HostileInputPipe, jsonDepth, MAX_JSON_DEPTH, refuseDeepJson, textProblem } from './hostile-input';

describe('hostile input at the edge', () => {
  it('finds NUL characters and lone surrogates, and lets whole surrogate pairs and Chinese through', () => {
    expect(textProblem('zhao\u0000.qiang')).toContain('NUL');
    expect(textProblem('a\ud800')).toContain('lone surrogate');
    expect(textProblem('\udc00b')).toContain('lone surrogate');
    expect(textProblem('王芳 𠀀 😀')).toBeNull();
  });

  it('names the field of the first hostile value, in keys too, and unsafe integers', () => {
    expect(hostileValue({ variables: { note: 'ok', list: ['a', 'b\u0000'] } }, '')).toEqual({ field: 'variables.list[1]', reason: 'contains a NUL character' });
    expect(hostileValue({ variables: { 'a\u0000b': 1 } }, '')?.field).toBe('variables.a\\u0000b');
    expect(hostileValue({ amount: 2 ** 60 }, '')?.field).toBe('amount');
    expect(hostileValue({ amount: 2 ** 53 - 1, ratio: 0.25, big: 1e15 }, '')).toBeNull();
  });

  it('refuses through the pipe with the field named: the body path, or the query or path parameter', () => {
    const pipe = new HostileInputPipe();
    expect(() => pipe.transform({ assignee: 'x\u0000' }, { type: 'body' })).toThrow(InvalidRequestError);
    try {
      pipe.transform('x\u0000', { type: 'param', data: 'id' });
      throw new Error('not refused');
    } catch (error) {
      expect((error as InvalidRequestError).field).toBe('id');
    }
    expect(pipe.transform({ fine: '正常' }, { type: 'query' })).toEqual({ fine: '正常' });
  });

  it('counts JSON depth without parsing, ignoring brackets inside strings', () => {
    expect(jsonDepth(Buffer.from('{"a":[1,{"b":"[[[[{{{{"}]}'), 100)).toBe(3);
    expect(jsonDepth(Buffer.from('{"a":"\\"[[["}'), 100)).toBe(1);
    const deep = Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(jsonDepth(deep, MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
    expect(() => refuseDeepJson(undefined, undefined, deep)).toThrow(/deeper than 64/);
    expect(() => refuseDeepJson(undefined, undefined, Buffer.from('{"a":{"b":1}}'))).not.toThrow();
  });
});
