/**
 * The browser script for attachments, served as /static/upload.js. Progressive enhancement: the
 * page renders the upload box hidden (without JavaScript it could do nothing) and this script
 * shows it. A file goes straight to S3 with a presigned POST and the app then verifies it; the new
 * attachment is added to the list on the page without a reload, so answers typed but not yet saved
 * stay in their fields. The "Verwijderen" buttons are plain form posts that work without this
 * script; with it, they remove the attachment in place for the same reason.
 * Kept as a string so the Lambda bundle needs no asset handling.
 */
export const UPLOAD_JS = `(() => {
  const box = document.querySelector('[data-upload]');
  if (!box) return;
  const input = box.querySelector('input[type=file]');
  const button = box.querySelector('#bijlage-uploaden');
  const chooser = box.querySelector('[data-upload-form]');
  const status = box.querySelector('#bijlage-status');
  const list = document.getElementById('bijlagen-lijst');
  const none = document.getElementById('bijlagen-geen');
  const template = document.getElementById('bijlage-sjabloon');
  const max = Number(box.dataset.max || '5');
  const say = (text) => { status.textContent = text; };
  const post = (url, body) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  const refresh = () => {
    const count = list.querySelectorAll('li').length;
    list.hidden = count === 0;
    none.hidden = count > 0;
    chooser.hidden = count >= max;
  };
  box.hidden = false;

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
      const check = await post(box.dataset.upload + '/' + plan.id, {});
      const result = await check.json();
      if (!check.ok) { say(result.error || 'Het bestand is niet geaccepteerd.'); return; }
      const item = template.content.firstElementChild.cloneNode(true);
      item.dataset.bijlage = result.id;
      item.querySelector('[data-naam]').textContent = result.name;
      const remove = item.querySelector('form');
      remove.action = box.dataset.upload + '/' + result.id + '/verwijderen';
      remove.querySelector('button').setAttribute('aria-label', 'Verwijder ' + result.name);
      list.appendChild(item);
      input.value = '';
      refresh();
      say('Bijlage toegevoegd: ' + result.name + '. Uw antwoorden zijn nog niet opgeslagen; sla ze op zoals altijd.');
    } catch (error) {
      say('Uploaden is niet gelukt. Controleer de verbinding en probeer het opnieuw.');
    } finally {
      button.disabled = false;
    }
  });

  list.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!form.matches('form[data-verwijderen]')) return;
    event.preventDefault();
    const submit = form.querySelector('button');
    submit.disabled = true;
    try {
      const response = await fetch(form.action, { method: 'POST', headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      const result = await response.json().catch(() => ({}));
      if (!response.ok) { say(result.error || 'Verwijderen is niet gelukt.'); return; }
      form.closest('li').remove();
      refresh();
      say('Bijlage verwijderd: ' + result.name + '.');
    } catch (error) {
      say('Verwijderen is niet gelukt. Controleer de verbinding en probeer het opnieuw.');
    } finally {
      submit.disabled = false;
    }
  });
})();
`;
