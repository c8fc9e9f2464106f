// A refused or failed API request: its HTTP status, the server's message (bilingual) and its error code.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
