// What inspecting a file the engine must refuse throws: the typed refusal, so tests can read its code and words.
import { expect } from 'vitest';
import { inspectInput } from '../../src/input/inspect';
import { InputRejectedError } from '../../src/util/errors';

export function refusal(path: string): InputRejectedError {
  try {
    inspectInput(path);
  } catch (e) {
    expect(e).toBeInstanceOf(InputRejectedError);
    return e as InputRejectedError;
  }
  throw new Error(`${path} was accepted`);
}
