// A client in a process of its own, as a browser or another service would be: it times sequential
// GETs over one kept-alive connection, so the server's figures do not include a client sharing its
// event loop. Run by fork(); it takes one request on its IPC channel and answers the latencies.
import http from 'node:http';

export interface ProbeRequest {
  url: string;
  authorization: string;
  warmUp: number;
  count: number;
}

export type ProbeAnswer = { latencies: number[] } | { error: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(url: string, authorization: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { authorization } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

async function probe(request: ProbeRequest): Promise<number[]> {
  const one = async (): Promise<number> => {
    const started = performance.now();
    const response = await get(request.url, request.authorization);
    const body = JSON.parse(response.body) as { items?: unknown[] };
    const took = performance.now() - started;
    if (response.status !== 200 || !Array.isArray(body.items) || body.items.length === 0) {
      throw new Error(`GET ${request.url} answered ${response.status}: ${response.body.slice(0, 300)}`);
    }
    return took;
  };
  for (let i = 0; i < request.warmUp; i++) await one();
  const samples: number[] = [];
  for (let i = 0; i < request.count; i++) samples.push(await one());
  return samples;
}

process.once('message', (message: ProbeRequest) => {
  probe(message).then(
    (latencies) => process.send?.({ latencies } satisfies ProbeAnswer, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) } satisfies ProbeAnswer, () => process.exit(1)),
  );
});
