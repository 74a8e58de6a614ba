// Choose an image, see it before sending, upload it; the server makes the sized variants.

import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/errors';
import { uploadPoster } from '../api/endpoints';
import type { BoxEvent } from '../api/types';
import { Alert } from '../ui/Alert';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';

const ACCEPTED = 'image/jpeg,image/png,image/webp';
const POSTER_BYTES_MAX = 20 * 1024 * 1024;

export function PosterUpload({ event, onUploaded }: { event: BoxEvent; onUploaded(event: BoxEvent): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [working, setWorking] = useState(false);
  const busy = useBusyRetry();

  // Object URLs hold the file in memory until revoked.
  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreviewUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  async function upload(): Promise<void> {
    if (!file) return;
    setWorking(true);
    setError(null);
    busy.clear();
    try {
      const answer = await uploadPoster(event.id, file);
      onUploaded(answer.event);
      setDone(true);
      setFile(null);
      setPreviewUrl(null);
    } catch (failure) {
      if (busy.offerRetry(failure, () => void upload())) return;
      setError(describeError(failure));
    } finally {
      setWorking(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="poster-heading">
      <h2 id="poster-heading">Poster</h2>
      <div class="poster-admin">
        {event.poster ? (
          <figure class="poster-admin__current">
            <img src={event.poster.url} alt="Current poster" />
            <figcaption class="muted">Current poster</figcaption>
          </figure>
        ) : (
          <p class="muted">No poster yet: the event list shows a placeholder.</p>
        )}
        <form
          class="stack-form"
          onSubmit={(e) => {
            e.preventDefault();
            void upload();
          }}
        >
          <div class="field">
            <label for="poster-file">Poster image</label>
            <p class="field__hint" id="poster-hint">
              JPEG, PNG or WebP, up to 20 MB. Sized copies for phones and large screens are made for you.
            </p>
            <input
              id="poster-file"
              type="file"
              accept={ACCEPTED}
              aria-describedby="poster-hint"
              onChange={(e) => {
                const chosen = e.currentTarget.files?.[0] ?? null;
                setDone(false);
                setError(null);
                if (chosen && chosen.size > POSTER_BYTES_MAX) {
                  setError('That file is over 20 MB. Choose a smaller image.');
                  setFile(null);
                  setPreviewUrl(null);
                  return;
                }
                setFile(chosen);
                if (!chosen) setPreviewUrl(null);
              }}
            />
          </div>
          {previewUrl ? <img class="poster-admin__preview" src={previewUrl} alt="Poster preview" /> : null}
          {error ? <Alert>{error}</Alert> : null}
          <BusyRetry state={busy} disabled={working} />
          {done ? (
            <p role="status" class="alert alert--success">
              Poster uploaded.
            </p>
          ) : null}
          <button type="submit" class="button button--primary" disabled={!file || working}>
            {working ? 'Uploading…' : 'Upload poster'}
          </button>
        </form>
      </div>
    </section>
  );
}
