// Errors a user can cause or fix. They carry a stable code, a message that names the file or service and the
// reason, an optional hint, and the CLI exit code. Anything else is a bug and may show a stack trace.
import { EXIT } from '../contract/job';
import type { JobError } from '../contract/job';

export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
  toJSON(): JobError {
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

/** The input file cannot be meshed as given (missing, empty, not CAD ...): exit 2. */
export class InputRejectedError extends UserError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, EXIT.inputRejected, hint);
    this.name = 'InputRejectedError';
  }
}

/** The request cannot be carried out as given (an export its mesh could not be written as): exit 2, before meshing. */
export class RequestRefusedError extends UserError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, EXIT.inputRejected, hint);
    this.name = 'RequestRefusedError';
  }
}

/** Gmsh missing, bad settings, backend unreachable: exit 4. */
export class ConfigError extends UserError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, EXIT.unavailable, hint);
    this.name = 'ConfigError';
  }
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
