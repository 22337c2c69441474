// `wechat-kf sign | verify | encrypt | decrypt`: the WXBizMsgCrypt primitives on the command line.
import {
  CheckFailed, SECRET_FLAGS, SECRETS_HELP, UsageError, choice, integer, parse, queryArg, required, secret, textArg,
} from './options.js';
import { envelopeField } from './reply.js';

export const sign = {
  summary: 'compute signature (token, timestamp, nonce) or msg_signature (with --encrypt)',
  help: `usage: wechat-kf sign --timestamp TS --nonce N [--encrypt CIPHERTEXT] [--token T]

Prints the hex SHA-1 of the sorted token, timestamp, nonce (and Encrypt value when given):
the query's \`signature\`, or with --encrypt its \`msg_signature\`.

${SECRETS_HELP}`,
  run(argv, { lib, out }) {
    const v = parse(argv, { ...SECRET_FLAGS, timestamp: { type: 'string' }, nonce: { type: 'string' }, encrypt: { type: 'string' } });
    if (v.help) return out(this.help);
    const token = secret(v, 'token');
    const ts = required(v, 'timestamp', 'Unix seconds, as in the query');
    const nonce = required(v, 'nonce', 'as in the query');
    out(v.encrypt === undefined ? lib.signature(token, ts, nonce) : lib.signature(token, ts, nonce, textArg(v.encrypt)));
  },
};

export const verify = {
  summary: 'check the signature and msg_signature of a push or verification request',
  help: `usage: wechat-kf verify --query 'signature=..&timestamp=..&nonce=..[&msg_signature=..]' [--body @push.xml | --encrypt E]
       wechat-kf verify --timestamp TS --nonce N (--signature S | --msg-signature S --encrypt E)

Checks each signature present: \`signature\` over token, timestamp, nonce; \`msg_signature\`
over token, timestamp, nonce and the Encrypt value (from --encrypt, or read from the XML or
JSON --body). Exit code 0 when all are valid, 1 when one is not (-40001), 2 on bad usage.
--body and --encrypt take text, @file, or - for stdin.

${SECRETS_HELP}`,
  run(argv, { lib, out }) {
    const v = parse(argv, {
      ...SECRET_FLAGS, query: { type: 'string' }, body: { type: 'string' }, encrypt: { type: 'string' },
      timestamp: { type: 'string' }, nonce: { type: 'string' }, signature: { type: 'string' }, 'msg-signature': { type: 'string' },
    });
    if (v.help) return out(this.help);
    const q = v.query ? queryArg(v.query) : new URLSearchParams();
    const ts = v.timestamp ?? q.get('timestamp');
    const nonce = v.nonce ?? q.get('nonce');
    const sig = v.signature ?? q.get('signature');
    const msgSig = v['msg-signature'] ?? q.get('msg_signature');
    if (!ts || !nonce) throw new UsageError('missing timestamp and nonce: pass --query or --timestamp and --nonce');
    if (!sig && !msgSig) throw new UsageError('nothing to verify: give a signature or msg_signature (--query, --signature, --msg-signature)');
    const token = secret(v, 'token');
    const bad = [];
    if (sig) {
      const ok = lib.checkSignature(token, ts, nonce, sig);
      out(`signature: ${ok ? 'valid' : 'INVALID'}`);
      if (!ok) bad.push('signature');
    }
    if (msgSig) {
      let encrypt = v.encrypt !== undefined ? textArg(v.encrypt) : undefined;
      if (encrypt === undefined && v.body !== undefined) encrypt = envelopeField(lib, textArg(v.body), 'Encrypt');
      if (encrypt === undefined) throw new UsageError('msg_signature needs the Encrypt value: pass --encrypt or --body');
      const ok = lib.checkSignature(token, ts, nonce, msgSig, encrypt);
      out(`msg_signature: ${ok ? 'valid' : 'INVALID'}`);
      if (!ok) bad.push('msg_signature');
    }
    if (bad.length) {
      throw new CheckFailed(`${bad.join(' and ')} invalid (-40001 ValidateSignature): the token differs from the console's, `
        + 'or the timestamp, nonce or body were changed on the way (a trimmed or re-encoded body changes msg_signature only)');
    }
  },
};

export const encrypt = {
  summary: 'encrypt a plaintext (or wrap it in a signed XML/JSON envelope with --envelope)',
  help: `usage: wechat-kf encrypt --text TEXT|@file|- [--envelope xml|json] [--timestamp TS] [--nonce N]

Prints the base64 ciphertext of random(16) ‖ length ‖ TEXT ‖ appId. With --envelope it
prints the signed reply envelope (Encrypt, MsgSignature, TimeStamp, Nonce) instead; the
token is needed only then.

${SECRETS_HELP}`,
  run(argv, { lib, out }) {
    const v = parse(argv, { ...SECRET_FLAGS, text: { type: 'string' }, envelope: { type: 'string' }, timestamp: { type: 'string' }, nonce: { type: 'string' } });
    if (v.help) return out(this.help);
    const text = textArg(required(v, 'text', 'the plaintext: text, @file or - for stdin'));
    const format = v.envelope === undefined ? undefined : choice(v, 'envelope', ['xml', 'json']);
    const key = secret(v, 'key');
    const appId = secret(v, 'appId');
    // The raw ciphertext does not involve the token: any non-empty stand-in will do.
    const token = format ? secret(v, 'token') : (v.token ?? 'unused');
    const crypt = new lib.WXBizMsgCrypt({ token, encodingAESKey: key, appId });
    try {
      if (!format) return out(crypt.encrypt(text));
      const opts = { format };
      if (v.timestamp !== undefined) opts.timestamp = v.timestamp;
      if (v.nonce !== undefined) opts.nonce = v.nonce;
      out(crypt.encryptMessage(text, opts));
    } finally {
      crypt.free();
    }
  },
};

export const decrypt = {
  summary: 'decrypt an Encrypt value, or verify, decrypt and parse a whole push (--query + --body)',
  help: `usage: wechat-kf decrypt --encrypt CIPHERTEXT|@file|- [--json]
       wechat-kf decrypt --query 'timestamp=..&nonce=..&encrypt_type=aes&msg_signature=..' --body @push.xml|- [--json] [--max-skew S]

With --encrypt: prints the plaintext (the appId inside must match; -40005 otherwise).
With --query and --body: checks the push as a server would (mode, signature, decryption,
parsing), then prints the plaintext, or with --json the typed message, mode and format.
The replay window is off unless --max-skew SECONDS is given (old samples stay usable).

${SECRETS_HELP}`,
  run(argv, { lib, out }) {
    const v = parse(argv, { ...SECRET_FLAGS, encrypt: { type: 'string' }, query: { type: 'string' }, body: { type: 'string' }, json: { type: 'boolean' }, 'max-skew': { type: 'string' } });
    if (v.help) return out(this.help);
    if ((v.encrypt === undefined) === (v.body === undefined)) throw new UsageError('pass either --encrypt, or --query and --body');
    const key = secret(v, 'key');
    const appId = secret(v, 'appId');
    if (v.encrypt !== undefined) {
      const crypt = new lib.WXBizMsgCrypt({ token: v.token ?? 'unused', encodingAESKey: key, appId });
      try {
        const r = crypt.decrypt(textArg(v.encrypt).trim());
        return out(v.json ? JSON.stringify(r, null, 2) : r.plaintext);
      } finally {
        crypt.free();
      }
    }
    const query = queryArg(required(v, 'query', "the push's query string"));
    const body = textArg(v.body);
    const token = secret(v, 'token');
    // An inspection tool: plaintext pushes are shown too (a server refuses them by default).
    const receiver = new lib.Receiver({ token, encodingAESKey: key, appId, maxSkewSeconds: integer(v, 'max-skew', 0), allowPlaintext: true });
    try {
      const push = receiver.receive({ query, body });
      let plaintext = body;
      if (push.mode !== 'plaintext') {
        const crypt = new lib.WXBizMsgCrypt({ token, encodingAESKey: key, appId });
        try {
          plaintext = crypt.decryptMessage({ msgSignature: query.get('msg_signature'), timestamp: query.get('timestamp'), nonce: query.get('nonce'), body });
        } finally {
          crypt.free();
        }
      }
      if (!v.json) return out(plaintext);
      out(JSON.stringify({ mode: push.mode, format: push.format, known: push.known, dedupKey: push.dedupKey, message: push.message, plaintext }, null, 2));
    } finally {
      receiver.free();
    }
  },
};
