// The shape of a value as the API sends it, for clients that take their types from the engine (the pages in web/):
// JSON.stringify writes every Date as its ISO time, and the routes do the same by hand where they shape an answer.
export type Json<T> = T extends Date ? string : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
