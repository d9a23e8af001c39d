import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { ApiErrorBody, IngestResult, Me } from '../api';
import { fmt, Panel } from '../components';

/** One file in the upload queue. */
interface Item {
  key: number;
  file: File;
  sent: number;
  state: 'queued' | 'uploading' | 'processing' | 'done' | 'failed';
  result?: IngestResult;
  error?: ApiErrorBody;
}

/**
 * POSTs one file as the raw body (header x-filename) with XMLHttpRequest, for upload progress.
 * Resolves with the ingest result, or with an error body for a failed request.
 */
function send(
  file: File,
  onProgress: (sent: number) => void,
  onSent: () => void,
): Promise<{ result?: IngestResult; error?: ApiErrorBody }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/upload');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-filename', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.upload.onload = () => onSent();
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      const b = body as (IngestResult & { error?: ApiErrorBody }) | IngestResult[] | undefined;
      if (xhr.status >= 200 && xhr.status < 300) {
        const result = Array.isArray(b) ? b[0] : b;
        resolve(
          result ? { result } : { error: { code: 'HTTP_EMPTY', message: 'the server returned no result' } },
        );
      } else {
        const err = (b as { error?: ApiErrorBody } | undefined)?.error;
        resolve({ error: err ?? { code: `HTTP_${xhr.status}`, message: xhr.statusText || 'upload failed' } });
      }
    };
    xhr.onerror = () => resolve({ error: { code: 'NETWORK', message: 'the upload was interrupted' } });
    xhr.send(file);
  });
}

function where(e: ApiErrorBody): string {
  const parts = [
    e.file,
    e.line !== undefined ? `line ${e.line}` : undefined,
    e.offset !== undefined ? `byte ${e.offset}` : undefined,
  ];
  const s = parts.filter((p) => p !== undefined).join(', ');
  return s ? ` (${s})` : '';
}

/** Upload: drop instrument files (or pick them), see progress and the ingest result per file. */
export function UploadPage({ me }: { me: Me }): ReactNode {
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  const keyRef = useRef(0);
  const busy = useRef(false);
  const queue = useRef<Item[]>([]);

  const update = (key: number, patch: Partial<Item>): void =>
    setItems((xs) => xs.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const pump = async (): Promise<void> => {
    if (busy.current) return;
    busy.current = true;
    for (let it = queue.current.shift(); it; it = queue.current.shift()) {
      const key = it.key;
      update(key, { state: 'uploading' });
      const r = await send(
        it.file,
        (sent) => update(key, { sent }),
        () => update(key, { state: 'processing', sent: it.file.size }),
      );
      const failed = r.error !== undefined || r.result?.status === 'failed' || r.result?.error !== undefined;
      update(key, {
        state: failed ? 'failed' : 'done',
        ...(r.result ? { result: r.result } : {}),
        ...(r.error ? { error: r.error } : r.result?.error ? { error: r.result.error } : {}),
      });
    }
    busy.current = false;
  };

  const addFiles = (files: FileList | null): void => {
    if (!files || files.length === 0) return;
    const added = Array.from(files).map((file): Item => ({
      key: keyRef.current++,
      file,
      sent: 0,
      state: 'queued',
    }));
    queue.current.push(...added);
    setItems((xs) => [...added, ...xs]);
    void pump();
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    addFiles(e.dataTransfer.files);
  };

  if (me.role === 'viewer')
    return <div className="notice">Viewers cannot upload; ask an admin for the engineer role.</div>;
  return (
    <Panel title="Upload instrument files">
      <label
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <input
          type="file"
          multiple
          onChange={(e) => (addFiles(e.target.files), (e.target.value = ''))}
          data-testid="file-input"
        />
        <strong>Drop files here</strong> or click to choose. Arbin, Maccor, BioLogic, Neware, Basytec,
        Digatron, … any format <code>discern ingest</code> reads.
      </label>
      <table className="grid-table" data-testid="upload-table">
        <thead>
          <tr>
            <th>file</th>
            <th className="num">size</th>
            <th style={{ width: '22%' }}>progress</th>
            <th>result</th>
          </tr>
        </thead>
        <tbody>
          {items.map((it) => {
            const r = it.result;
            const pct = it.file.size > 0 ? Math.min(100, (it.sent / it.file.size) * 100) : 100;
            return (
              <tr key={it.key} data-state={it.state}>
                <td>{it.file.name}</td>
                <td className="num">{(it.file.size / 1024).toFixed(1)} KiB</td>
                <td>
                  <progress max={100} value={it.state === 'queued' ? 0 : pct} />{' '}
                  <span className="muted">{it.state}</span>
                </td>
                <td>
                  {it.error ? (
                    <span className="error-text" data-testid="upload-error">
                      <code>{it.error.code}</code>: {it.error.message}
                      {where(it.error)}
                    </span>
                  ) : null}
                  {r && !it.error ? (
                    <span data-testid="upload-result">
                      <span className={`badge ${r.status === 'ingested' ? 'ok' : 'warn'}`}>{r.status}</span>{' '}
                      {r.test ? (
                        <a href={`#/tests/${r.test.id}`}>
                          #{r.test.id} {r.test.name}
                        </a>
                      ) : null}{' '}
                      · {r.format ?? '?'} · {fmt(r.rows)} rows · {fmt(r.cycles)} cycles
                      {r.warnings && r.warnings.length > 0 ? (
                        <span
                          className="muted"
                          title={r.warnings.map((w) => `${w.code}: ${w.message}`).join('\n')}
                        >
                          {' '}
                          · {r.warnings.length} warning(s)
                        </span>
                      ) : null}
                    </span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}
