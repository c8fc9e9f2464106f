// JSON-schema fragments every route file uses for dates and times (OpenAPI shows them the same everywhere).
export const date = { type: 'string', format: 'date', description: 'YYYY-MM-DD（北京时间 Asia/Shanghai）' } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
