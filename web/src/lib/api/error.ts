// A refused or failed API request: its HTTP status, its message in the language shown (error-text.ts) and its error code.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
