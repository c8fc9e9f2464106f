// `fairdraw user add|list|disable|enable|passwd`: accounts from the command line. Passwords are typed on a
// terminal without echo, or read from the first line of standard input when it is not a terminal.
import { Option, type Command } from 'commander';
import { userInfo } from 'node:os';
import { withDb } from '../db.ts';
import { ROLES } from '../../auth/roles.ts';
import { createUser, getUser, listUsers, setUserDisabled, setUserPassword, validateAccount } from '../../auth/users.ts';
import { passwordProblem } from '../../auth/password.ts';
import { dbCommand } from '../options.ts';

function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Reads one line from the terminal without showing it. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      if (chunk.startsWith('\x1b')) return; // arrow and function keys
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return finish(new Error('已取消 cancelled'));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readStdinLine(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text.split(/\r?\n/, 1)[0] ?? '';
}

/** An existing account's password: typed on a terminal, else the first line of standard input. */
export async function readPassword(prompt: string): Promise<string> {
  const password = process.stdin.isTTY ? await promptHidden(prompt) : await readStdinLine();
  if (!password) throw new Error('没有密码 no password given (type it, or give it as the first line of standard input)');
  return password;
}

/** The new password: typed twice on a terminal, else the first line of standard input. */
export async function readNewPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const password = await promptHidden('密码 Password: ');
    const problem = passwordProblem(password);
    if (problem) throw new Error(`password: ${problem}`);
    if ((await promptHidden('再次输入 Repeat password: ')) !== password) throw new Error('两次输入的密码不一致 the two passwords differ');
    return password;
  }
  const password = await readStdinLine();
  if (!password) throw new Error('标准输入中没有密码 no password on standard input (give it as the first line)');
  const problem = passwordProblem(password);
  if (problem) throw new Error(`password: ${problem}`);
  return password;
}

export function userCommand(program: Command): void {
  const user = program.command('user').description('用户账户 / accounts: add, list, disable, enable, reset password');

  dbCommand(user, 'add <name>', { json: false })
    .description('创建账户；密码从终端输入（不回显）或从标准输入读取 / create an account; the password is typed (no echo) or read from standard input')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--department <code>', 'department code, required for operators, optional for auditors (e.g. SAMR)')
    .action(async (name: string, opts: { role: string; department?: string; db?: string }) => {
      await withDb(opts.db, async (db) => {
        const account = await validateAccount(db, { username: name, role: opts.role, department: opts.department });
        const password = await readNewPassword();
        const created = await db.transaction((tx) => createUser(tx, { ...account, password }, cliActor()));
        const where = created.department ? `, department ${created.department}` : '';
        console.log(`已创建用户 created user ${created.username} (role ${created.role}${where})`);
      });
    });

  dbCommand(user, 'list')
    .description('列出账户 / list accounts')
    .action(async (opts: { db?: string; json?: boolean }) => {
      await withDb(opts.db, async (db) => {
        const users = await listUsers(db);
        if (opts.json) {
          console.log(JSON.stringify(users));
          return;
        }
        if (users.length === 0) console.log('没有账户 no accounts (add one with: fairdraw user add NAME --role admin)');
        for (const u of users) {
          const state = u.disabled ? 'disabled' : 'active';
          const lastLogin = u.lastLoginAt ? u.lastLoginAt.toISOString() : 'never';
          console.log(`${u.username.padEnd(24)} ${u.role.padEnd(9)} ${(u.department ?? '-').padEnd(10)} ${state.padEnd(9)} last login ${lastLogin}`);
        }
      });
    });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    dbCommand(user, `${verb} <name>`, { json: false })
      .description(disabled ? '停用账户（不能登录，会话结束） / disable an account: no login, sessions end' : '重新启用账户 / enable an account again')
      .action(async (name: string, opts: { db?: string }) => {
        await withDb(opts.db, async (db) => {
          const changed = await db.transaction((tx) => setUserDisabled(tx, name, disabled, cliActor()));
          console.log(`${changed.username}: ${changed.disabled ? '已停用 disabled' : '已启用 enabled'}`);
        });
      });
  }

  dbCommand(user, 'passwd <name>', { json: false })
    .description('重设密码（会话结束） / set a new password (the account’s sessions end)')
    .action(async (name: string, opts: { db?: string }) => {
      await withDb(opts.db, async (db) => {
        if (!(await getUser(db, name))) throw new Error(`user ${JSON.stringify(name)}: 没有这个用户 no such account`);
        const password = await readNewPassword();
        const changed = await db.transaction((tx) => setUserPassword(tx, name, password, cliActor()));
        console.log(`${changed.username}: 密码已更新 password changed`);
      });
    });
}
