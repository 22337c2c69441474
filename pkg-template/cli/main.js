#!/usr/bin/env node
// The `wechat-kf` command: sign, verify, encrypt, decrypt, simulate, emulator, debugger.
// Exit codes: 0 done, 1 a check failed (or an error of the library), 2 wrong usage.
import * as lib from '../loaders/node.js';
import { CheckFailed, UsageError } from './options.js';
import { decrypt, encrypt, sign, verify } from './crypto.js';
import { simulate } from './simulate.js';
import { emulator } from './emulator.js';
import { debuggerCommand } from './debugger.js';

const COMMANDS = { sign, verify, encrypt, decrypt, simulate, emulator, debugger: debuggerCommand };

const HELP = `usage: wechat-kf <command> [options]   (wechat-kf <command> --help for its options)

${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`).join('\n')}

Secrets are never printed. Give them through the environment (WECHAT_KF_TOKEN,
WECHAT_KF_AES_KEY, WECHAT_KF_APP_ID) or files (--token-file, --key-file): flags such as
--token and --key also work, but show in process lists and shell history.`;

const out = (s) => process.stdout.write(`${s}\n`);
const [name, ...argv] = process.argv.slice(2);

async function main() {
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return out(HELP);
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    return out(createRequire(import.meta.url)('../package.json').version);
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
  await command.run(argv, { lib, out });
}

try {
  await main();
} catch (e) {
  const where = COMMANDS[name] ? `wechat-kf ${name}` : 'wechat-kf';
  if (e instanceof UsageError) {
    process.stderr.write(`${where}: ${e.message}\n(see: ${where} --help)\n`);
    process.exitCode = 2;
  } else if (e instanceof CheckFailed) {
    process.stderr.write(`${where}: FAILED: ${e.message}\n`);
    process.exitCode = 1;
  } else if (e instanceof lib.WxkfError) {
    process.stderr.write(`${where}: ${e.kind} (${e.code}): ${e.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`${where}: unexpected error: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  }
}
