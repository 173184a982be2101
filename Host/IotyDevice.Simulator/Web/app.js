'use strict';
// The local App Builder page. It drives the simulator's App Builder client: Server-Sent Events in (/events), small
// JSON POSTs out (/api/publish, /api/watch, /api/boot). Everything received is shown with textContent, never as HTML.
(function () {
  const $ = (id) => document.getElementById(id);
  const MAX_MONITOR_LINES = 500;
  const messages = new Map(); // topic -> the last message the App Builder client received on it

  function note(text) { $('note').textContent = text; }

  async function post(path, body) {
    try {
      const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) });
      const answer = await response.json().catch(() => ({ ok: false, error: 'HTTP ' + response.status }));
      if (!answer.ok) note(answer.error || 'failed');
      return answer.ok;
    } catch (e) {
      note('the simulator is not reachable (stopped?)');
      return false;
    }
  }

  function topicOf(input) { return $(input).value.trim(); }

  function showDisplay() {
    const m = messages.get(topicOf('display-topic'));
    $('display-value').textContent = m ? m.text : '—';
    $('display-size').textContent = !m ? 'nothing received yet'
      : m.bytes + ' bytes' + (m.cut ? ', the first ' + m.text.length + ' characters shown' : '') + (m.retained ? ' (retained)' : '');
  }

  function showLamp() {
    const m = messages.get(topicOf('status-topic'));
    const state = !m ? 'unknown' : (m.text === 'online' || m.text === 'offline') ? m.text : 'other';
    $('lamp').dataset.state = state;
    $('lamp-text').textContent = m ? m.text : 'no status yet';
  }

  function addMonitorLine(text) {
    const monitor = $('monitor');
    const atBottom = monitor.scrollTop + monitor.clientHeight >= monitor.scrollHeight - 4;
    const line = document.createElement('div');
    line.className = 'line';
    line.textContent = text;
    monitor.appendChild(line);
    while (monitor.childElementCount > MAX_MONITOR_LINES) monitor.firstElementChild.remove();
    if (atBottom) monitor.scrollTop = monitor.scrollHeight;
  }

  function watch(input) {
    const topic = topicOf(input);
    if (topic) post('/api/watch', { topic: topic });
  }

  const handlers = {
    setup(e) {
      // Sent first on every (re)connection, before the history: start from a clean slate.
      $('monitor').replaceChildren();
      $('chip-id').textContent = 'chip ID ' + e.chipId;
      $('boot-hint').textContent = 'publishes ' + e.publishPayload + ' to ' + e.displayTopic;
      $('switch-topic').value = $('switch-topic').dataset.edited ? $('switch-topic').value : e.switchTopic;
      $('display-topic').value = $('display-topic').dataset.edited ? $('display-topic').value : e.displayTopic;
      $('status-topic').value = $('status-topic').dataset.edited ? $('status-topic').value : e.statusTopic;
      watch('display-topic');
      if (topicOf('status-topic')) watch('status-topic');
      showDisplay();
      showLamp();
    },
    line(e) { addMonitorLine(e.text); },
    app(e) { $('app-state').textContent = 'App Builder client: ' + e.text; },
    message(e) {
      messages.set(e.topic, e);
      if (e.topic === topicOf('display-topic')) showDisplay();
      if (e.topic === topicOf('status-topic')) showLamp();
    },
  };

  const events = new EventSource('/events');
  events.onmessage = (event) => {
    const e = JSON.parse(event.data);
    const handler = handlers[e.type];
    if (handler) handler(e);
  };
  events.onerror = () => { $('app-state').textContent = 'the simulator is not reachable (stopped?); retrying'; };

  $('switch').addEventListener('click', async () => {
    const button = $('switch');
    const on = button.getAttribute('aria-checked') !== 'true';
    button.setAttribute('aria-checked', String(on));
    if (!await post('/api/publish', { topic: topicOf('switch-topic'), text: on ? 'on' : 'off' }))
      button.setAttribute('aria-checked', String(!on));
  });

  $('boot').addEventListener('click', async () => {
    const button = $('boot');
    button.disabled = true;
    await post('/api/boot');
    button.disabled = false;
  });

  for (const id of ['switch-topic', 'display-topic', 'status-topic']) {
    $(id).addEventListener('change', () => {
      $(id).dataset.edited = 'yes';
      if (id !== 'switch-topic') watch(id);
      showDisplay();
      showLamp();
    });
  }
})();
