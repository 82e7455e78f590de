/**
 * The browser script for attachments, served as /static/upload.js. Progressive enhancement: the
 * form works without it; with it, a file goes straight to S3 with a presigned POST and the app
 * then verifies it. Kept as a string so the Lambda bundle needs no asset handling.
 */
export const UPLOAD_JS = `(() => {
  const box = document.querySelector('[data-upload]');
  if (!box) return;
  const input = box.querySelector('input[type=file]');
  const button = box.querySelector('#bijlage-uploaden');
  const status = box.querySelector('#bijlage-status');
  const say = (text) => { status.textContent = text; };
  const post = (url, body) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  button.addEventListener('click', async () => {
    const file = input.files && input.files[0];
    if (!file) { say('Kies eerst een bestand.'); input.focus(); return; }
    button.disabled = true;
    try {
      say('Bezig met uploaden…');
      const start = await post(box.dataset.upload, { name: file.name, size: file.size, type: file.type });
      const plan = await start.json();
      if (!start.ok) { say(plan.error || 'Uploaden is niet gelukt.'); return; }
      const form = new FormData();
      for (const [key, value] of Object.entries(plan.fields)) form.append(key, value);
      form.append('file', file);
      const sent = await fetch(plan.url, { method: 'POST', body: form });
      if (!sent.ok) { say('Uploaden is niet gelukt. Probeer het opnieuw.'); return; }
      const check = await post(box.dataset.upload + '/' + plan.id, { name: plan.name, contentType: plan.contentType });
      const result = await check.json();
      if (!check.ok) { say(result.error || 'Het bestand is niet geaccepteerd.'); return; }
      say('Bijlage toegevoegd: ' + result.name);
      location.reload();
    } catch (error) {
      say('Uploaden is niet gelukt. Controleer de verbinding en probeer het opnieuw.');
    } finally {
      button.disabled = false;
    }
  });
})();
`;
