import { describe, expect, it } from 'vitest';
import { INSPECTOR_MASK, maskNameInText, maskPersonName, omittedFields, publicEntityName, publicFindings, findPersonalData } from './redact.ts';

describe('maskPersonName', () => {
  it.each([
    ['张', '*'],
    ['李四', '李*'],
    ['张三明', '张*明'],
    ['王小二明', '王**明'],
    ['欧阳娜', '欧阳*'],
    ['欧阳娜娜', '欧阳*娜'],
    ['司马相如', '司马*如'],
    ['诸葛孔明', '诸葛*明'],
    ['欧阳', '欧*'],
    ['  张三明 ', '张*明'],
  ])('Chinese name %s -> %s', (name, masked) => {
    expect(maskPersonName(name)).toBe(masked);
  });

  it.each([
    ['John Smith', 'J*** S****'],
    ['Li Na', 'L* N*'],
    ['Jean-Luc Picard', 'J***-L** P*****'],
    ['阿依古丽·买买提', '阿***·买**'],
    ['Müller', 'M*****'],
    ['A', '*'],
  ])('non-Chinese name %s -> %s', (name, masked) => {
    expect(maskPersonName(name)).toBe(masked);
  });

  it('never returns the name itself and keeps nothing of an empty one', () => {
    expect(maskPersonName('')).toBe('');
    for (const name of ['李四', '张三明', '欧阳娜娜', 'John Smith']) expect(maskPersonName(name)).not.toBe(name);
  });
});

describe('entity names of individual businesses', () => {
  it('masks the operator inside the business name, keeping the shop name', () => {
    const r = publicEntityName({ name: '深圳市南山区张三明便利店', entityType: 'individual', legalRepresentative: '张三明' });
    expect(r.value).toBe('深圳市南山区张*明便利店');
    expect(r.redactions).toEqual([{ field: 'entity_name', rule: 'individual_operator_name', occurrences: 1 }]);
  });

  it.each([
    ['李四烧烤店', '李四', '李*烧烤店'],
    ['欧阳娜娜美甲店（个体工商户）', '欧阳娜娜', '欧阳*娜美甲店（个体工商户）'],
    ['John Smith Coffee', 'John Smith', 'J*** S**** Coffee'],
    ['张三明张三明小吃', '张三明', '张*明张*明小吃'],
    ['王小二明五金店', '王小二明', '王**明五金店'],
  ])('%s (operator %s) -> %s', (name, operator, masked) => {
    expect(publicEntityName({ name, entityType: 'individual', legalRepresentative: operator }).value).toBe(masked);
  });

  it('leaves a business name that does not contain the operator, and logs nothing', () => {
    expect(publicEntityName({ name: '南山区好再来便利店', entityType: 'individual', legalRepresentative: '张三明' })).toEqual({ value: '南山区好再来便利店', redactions: [] });
  });

  it('masks an individual business named after a person when the operator is unknown', () => {
    expect(publicEntityName({ name: '张三明', entityType: 'individual', legalRepresentative: null })).toEqual({
      value: '张*明',
      redactions: [{ field: 'entity_name', rule: 'individual_name_is_person', occurrences: 1 }],
    });
  });

  it('keeps enterprise names, even when the legal representative appears in them', () => {
    expect(publicEntityName({ name: '深圳市张三明科技有限公司', entityType: 'enterprise', legalRepresentative: '张三明' })).toEqual({ value: '深圳市张三明科技有限公司', redactions: [] });
  });

  it('logs that an individual business never shows its operator', () => {
    expect(omittedFields({ name: '李四烧烤店', entityType: 'individual', legalRepresentative: '李四' })).toEqual([{ field: 'legal_representative', rule: 'legal_representative_omitted', occurrences: 1 }]);
    expect(omittedFields({ name: 'X 有限公司', entityType: 'enterprise', legalRepresentative: '王五' })).toEqual([]);
  });

  it('does not mask one-character names inside text (that would garble it)', () => {
    expect(maskNameInText('张记面馆', '张')).toEqual({ text: '张记面馆', count: 0 });
  });
});

describe('free-text findings', () => {
  const entity = { name: '深圳市南山区张三明便利店', entityType: 'individual', legalRepresentative: '张三明' };

  it('releases nothing until an operator approves it', () => {
    expect(publicFindings({ text: '货架上有过期食品', review: 'pending', entity, inspectorNames: [] })).toEqual({
      value: null,
      redactions: [{ field: 'findings', rule: 'findings_not_reviewed', occurrences: 1 }],
    });
    expect(publicFindings({ text: '货架上有过期食品', review: 'withheld', entity, inspectorNames: [] })).toEqual({
      value: null,
      redactions: [{ field: 'findings', rule: 'findings_withheld', occurrences: 1 }],
    });
    expect(publicFindings({ text: null, review: null, entity, inspectorNames: [] })).toEqual({ value: null, redactions: [] });
  });

  it('masks the operator and never names an inspector in approved text', () => {
    const r = publicFindings({
      text: '执法人员李建国、欧阳明会同检查，经营者张三明未能提供进货查验记录；李建国已告知张三明限期改正',
      review: 'approved',
      entity,
      inspectorNames: ['李建国', '欧阳明'],
    });
    expect(r.value).toBe(`执法人员${INSPECTOR_MASK}、${INSPECTOR_MASK}会同检查，经营者张*明未能提供进货查验记录；${INSPECTOR_MASK}已告知张*明限期改正`);
    expect(r.value).not.toContain('李建国');
    expect(r.value).not.toContain('欧阳明');
    expect(r.redactions).toEqual([
      { field: 'findings', rule: 'inspector_name', occurrences: 3 },
      { field: 'findings', rule: 'person_name', occurrences: 2 },
    ]);
  });

  it('masks a longer inspector name before a shorter one it contains', () => {
    const r = publicFindings({ text: '王小明与王小到场', review: 'approved', entity, inspectorNames: ['王小', '王小明'] });
    expect(r.value).toBe(`${INSPECTOR_MASK}与${INSPECTOR_MASK}到场`);
  });
});

describe('names written with spaces or punctuation inside them', () => {
  it('masks 黄 德春, 黄·德春 and 黄-德春 like 黄德春', () => {
    expect(maskNameInText('检查员黄 德春、黄·德春与黄-德春到场', '黄德春')).toEqual({ text: '检查员黄*春、黄*春与黄*春到场', count: 3 });
  });

  it('hides an inspector named with spaces in approved text', () => {
    const shown = publicFindings({ text: '黄 德春现场检查', review: 'approved', entity: { name: '某公司', entityType: 'enterprise', legalRepresentative: null }, inspectorNames: ['黄德春'] });
    expect(shown.value).toBe(`${INSPECTOR_MASK}现场检查`);
  });
});

describe('personal data in free text', () => {
  it.each([
    ['联系电话13800138000', 'phone', '13800138000'],
    ['电话 138 0013 8000', 'phone', '138 0013 8000'],
    ['座机020-83334567', 'phone', '020-83334567'],
    ['身份证号110101199003074514', 'id_card', '110101199003074514'],
    ['卡号 4111 1111 1111 1111', 'bank_card', '4111 1111 1111 1111'],
    ['当事人家住广州市天河区体育西路123号4栋502室', 'address', '当事人家住广州市天河区体育西路123号4栋502室'],
  ])('finds it in %s', (text, kind, found) => {
    expect(findPersonalData(text)).toEqual([expect.objectContaining({ kind, text: found })]);
  });

  it('leaves what results may show: codes, dates, amounts and business premises', () => {
    expect(findPersonalData('统一社会信用代码91440300MA5F000001，罚款2000元，2026-03-01检查，经营场所位于深圳市南山区科技园路8号')).toEqual([]);
    // an 18-digit number whose check character is wrong is not an ID card number
    expect(findPersonalData('编号110101199003074515')).toEqual([]);
  });
});
