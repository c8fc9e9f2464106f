import { describe, it, expect } from 'vitest';
import { detailIn, errorText } from './error-text';

describe('error answers in one language', () => {
  it('take the message for their code from the catalogue, with the parameters, and the detail in that language', () => {
    const answer = { error: 'task.not_found', message: '任务 T9 不存在 / task T9 does not exist', params: { id: 'T9' } };
    expect(errorText(answer, 404, 'zh')).toBe('任务 T9 不存在');
    expect(errorText(answer, 404, 'en')).toBe('Task T9 does not exist');
    const invalid = { error: 'draw.invalid', message: 'windowEnd = "x": 须为日期 / must be a date', params: { field: 'windowEnd', value: 'x' } };
    expect(errorText(invalid, 400, 'zh')).toBe('输入有误（windowEnd）：windowEnd = "x": 须为日期');
    expect(errorText(invalid, 400, 'en')).toBe('Invalid input (windowEnd): must be a date');
  });

  it('leave out a detail that mixes both languages in one sentence', () => {
    const mixed = { error: 'too many attempts', message: '登录失败次数过多，请 15 分钟后再试 too many failed logins' };
    expect(errorText(mixed, 429, 'en')).toBe('Too many failed sign-ins: try again later');
    expect(errorText(mixed, 429, 'zh')).toBe('登录失败次数过多，请稍后再试');
    expect(detailIn('角色须为 must be one of admin', 'en')).toBeNull();
    expect(detailIn('body/username must be string', 'zh')).toBeNull();
    expect(detailIn('body/username must be string', 'en')).toBe('body/username must be string');
  });

  it('fall back to the HTTP status when neither the code nor the message serves', () => {
    expect(errorText({}, 502, 'zh')).toBe('请求失败（HTTP 502）');
    expect(errorText({ error: 'unknown.code', message: '出错了 / it broke' }, 500, 'en')).toBe('it broke');
  });
});
