// Client.uploadMedia's input types (issue 11): bytes, a Blob or a File, never a string.
// Compiled by `tsc -p js-tests/types` (noEmit); each @ts-expect-error line must be an error.
import { Client } from 'wechat-kf';

export async function uploads(client: Client, bytes: Uint8Array, file: File): Promise<string> {
  const a = await client.uploadMedia(bytes, { filename: 'a.png', contentType: 'image/png' });
  await client.uploadMedia(bytes.buffer as ArrayBuffer);
  await client.uploadMedia(new Blob(['GIF89a'], { type: 'image/gif' }));
  await client.uploadMedia(file);
  // @ts-expect-error a path is not the image: read the file first
  await client.uploadMedia('hello.jpg');
  // @ts-expect-error mini programs upload images only
  await client.uploadMedia(bytes, { type: 'voice' });
  // @ts-expect-error contentType, not content_type
  await client.uploadMedia(bytes, { content_type: 'image/png' });
  return a.media_id;
}
