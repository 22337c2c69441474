// An example customer-service server: receives the platform's pushes (verified, decrypted,
// typed by the inbound handler) and answers each user text through the Client.
//
//   const server = await startEchoServer({ lib, token, encodingAESKey, appId, client });
//
// Replies go out asynchronously through the customer-service API (custom/send); the push itself
// is answered 'success' at once, as the platform requires.
import { createServer } from 'node:http';

export async function startEchoServer({ lib, token, encodingAESKey, appId, client, window, port = 0 }) {
  const onMessage = async (message) => {
    if (window) await window.observeMessage(message);
    if (message.msgType === 'text') {
      await client.sendText({ touser: message.fromUserName, content: `您好，收到：${message.content}` });
    }
  };
  let listener;
  if (typeof lib.createNodeListener === 'function') {
    listener = lib.createNodeListener({ token, encodingAESKey, appId, onMessage });
  } else {
    // Fallback for builds without the inbound handler: decrypt with the crypto API.
    const crypt = new lib.WXBizMsgCrypt({ token, encodingAESKey, appId });
    listener = async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const q = new URL(req.url, 'http://x').searchParams;
      try {
        const plaintext = crypt.decryptMessage({
          msgSignature: q.get('msg_signature'), timestamp: q.get('timestamp'), nonce: q.get('nonce'),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const { fields } = lib.readFields(plaintext);
        res.end('success');
        await onMessage({ msgType: fields.MsgType, fromUserName: fields.FromUserName, content: fields.Content });
      } catch (e) {
        res.statusCode = 400;
        res.end(String(e.message));
      }
    };
  }
  const server = createServer(listener);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/wechat`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections?.(); }),
  };
}
