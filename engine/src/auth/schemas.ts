// Accounts and sessions, declared once: the engine's types (Static<>) and the API's schemas. Never a password or its hash.
import { DateTime, described, Nullable, StringEnum, Type, type Static } from '../kernel/schema.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.ts';

export const ROLES = ['admin', 'analyst', 'leader', 'operator', 'auditor'] as const;
export const Role = StringEnum(ROLES);
export type Role = Static<typeof Role>;

const principalProperties = {
  username: Type.String(),
  role: Role,
  /** Set for operators (who are bound to it); an auditor may name the department it works in (shown on its attestations). */
  department: Nullable(Type.String(), { description: '部门代码：部门操作员必有，审计人员可选 department code: operators always, auditors optionally' }),
};
/** The signed-in account a request acts for. */
export const Principal = Type.Object(principalProperties);
export type Principal = Static<typeof Principal>;

/** The account, its CSRF token and when the session ends at the latest. */
export const SessionAnswer = Type.Object(
  {
    ...principalProperties,
    csrfToken: Type.String({ description: '在 x-csrf-token 头中回传 send back in the x-csrf-token header on POST/PUT/PATCH/DELETE' }),
    expiresAt: described(DateTime, '会话最迟到期时间 latest end of the session'),
  },
  { description: '当前账户、CSRF 令牌与会话到期时间 The account, its CSRF token and when the session ends' },
);
export type SessionAnswer = Static<typeof SessionAnswer>;

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
);

export const UserRecord = Type.Object(
  { ...principalProperties, disabled: Type.Boolean(), createdAt: DateTime, lastLoginAt: Nullable(DateTime) },
  { description: '账户（不含密码） An account (never its password)' },
);
export type UserRecord = Static<typeof UserRecord>;

export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{1,63}$';
const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });

/** A new account as an admin asks for it (the role and department are checked by validateAccount). */
export const NewUser = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN, description: '小写字母、数字、. _ - lower-case letters, digits, . _ -' }),
    role: Type.Unsafe<string>(StringEnum(ROLES)),
    department: Type.Optional(Nullable(Type.String(), { description: '部门操作员必填，审计人员可选 required for operators, optional for auditors, e.g. SAMR' })),
    password: Password,
  },
  { additionalProperties: false },
);
export type NewUser = Static<typeof NewUser>;

export const UserChange = Type.Object(
  {
    disabled: Type.Optional(Type.Boolean({ description: '停用后不能登录，现有会话结束 a disabled account cannot sign in; its sessions end' })),
    password: Type.Optional(described(Password, '新密码；现有会话结束 new password; existing sessions end')),
  },
  { minProperties: 1, additionalProperties: false },
);
export type UserChange = Static<typeof UserChange>;
