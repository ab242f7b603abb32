// The gateway bench's floor: the least a local hop can do, in a process of its own as the gateway runs. Every request
// is forwarded to argv[2] (a base URL) over a keep-alive connection and the answer is piped back as it comes: no
// checks, no policy, no log. What it adds over calling the upstream directly is what any local gateway adds on this
// machine at this moment. Prints `listening on <url>`.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const upstream = new URL(process.argv[2])
const agent = new http.Agent({ keepAlive: true })

const server = http.createServer((req, res) => {
  const out = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: upstream.pathname.replace(/\/v1$/, '') + req.url,
      method: req.method,
      headers: { ...req.headers, host: upstream.host },
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  out.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()))
  req.pipe(out)
})
server.keepAliveTimeout = 5_000
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`))
process.on('SIGTERM', () => process.exit(0))
