import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { checkCommitment, referenceNames, sha256Hex, shortHash } from './portal';

const reference = {
  departments: [{ code: 'SAMR', nameZh: '市场监管局', nameEn: 'Market Regulation' }],
  regions: [{ code: '440305', nameZh: '南山区', nameEn: 'Nanshan', level: 'district' as const, parentCode: '440300' }],
  industries: [{ code: 'H', nameZh: '住宿和餐饮业', nameEn: 'Accommodation and catering' }],
};

describe('the commitment check in the browser', () => {
  it('hashes UTF-8 text with SHA-256 as fd1 does', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('双随机')).toBe(createHash('sha256').update('双随机', 'utf8').digest('hex'));
  });

  it('recomputes the commitment from the secret and the seed from secret and beacon', async () => {
    const secret = 'b'.repeat(64);
    const commitment = createHash('sha256').update(secret).digest('hex');
    const beacon = '深证成指 2026-03-02 收盘 10234.56';
    expect(await checkCommitment({ secret, commitment, beacon, seed: `${secret}|${beacon}` })).toEqual({ computed: commitment, commitmentMatches: true, seedMatches: true });
    const forged = await checkCommitment({ secret, commitment: 'c'.repeat(64), beacon: null, seed: `${secret}|other` });
    expect(forged).toMatchObject({ commitmentMatches: false, seedMatches: false });
    // A draw run without a beacon seeds on "secret|".
    expect((await checkCommitment({ secret, commitment, beacon: null, seed: `${secret}|` })).seedMatches).toBe(true);
  });
});

describe('names in the portal', () => {
  it('reads codes in the language shown, the code itself until the names have come', () => {
    const zh = referenceNames(reference, 'zh');
    expect([zh.region('440305'), zh.department('SAMR'), zh.industry('H')]).toEqual(['南山区', '市场监管局', 'H 住宿和餐饮业']);
    const en = referenceNames(reference, 'en');
    expect([en.region('440305'), en.industry('H'), en.name(reference.departments[0])]).toEqual(['Nanshan', 'H Accommodation and catering', 'Market Regulation']);
    const none = referenceNames(null, 'zh');
    expect([none.region('440305'), none.department('SAMR'), none.industry('H')]).toEqual(['440305', 'SAMR', 'H']);
  });

  it('shortens a hash to its ends', () => {
    expect(shortHash('0123456789abcdef'.repeat(4))).toBe('0123456789ab…abcdef');
  });
});
