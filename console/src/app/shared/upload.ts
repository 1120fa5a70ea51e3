/** Uploads one file (`POST /uploads`) and returns its id; refusals come back as errors with the server's message. */
export async function uploadFile(
  file: File,
  accessToken: string | null,
  kind: 'image' | 'file' = 'file',
): Promise<string> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', file, file.name);
  const res = await fetch('/uploads', {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken ?? ''}` },
    body: form,
  });
  const body = (await res.json()) as { id?: string; errors?: { message: string }[] };
  if (!res.ok || !body.id) throw new Error(body.errors?.[0]?.message ?? `Upload failed (${res.status})`);
  return body.id;
}
