// A refusal of the API: a 4xx status and a message the CLI prints as is (errors: the details,
// e.g. config errors with FILE:LINE:COL and key path).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: string[],
  ) {
    super(message);
  }
}
