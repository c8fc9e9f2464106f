import { expect, it } from 'vitest';
import * as types from './types.ts';

it('holds types only, so a page importing it never pulls engine code into the browser bundle', () => {
  expect(Object.keys(types)).toEqual([]);
});
