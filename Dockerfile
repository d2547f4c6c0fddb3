# syntax=docker/dockerfile:1
# oauth-gateway: build the TypeScript in one stage, run the compiled code with production
# dependencies only in the next, as an unprivileged user. Build: docker build -t oauth-gateway .

# sqlite3 has no prebuilt binary for every platform: npm ci compiles it (python3, make, g++).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# The compilers are needed for npm ci (sqlite3) and removed in the same layer, so they never ship.
COPY package.json package-lock.json ./
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y --auto-remove python3 make g++ \
 && rm -rf /var/lib/apt/lists/* /root/.cache /tmp/*
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
# A user of its own: the data dir (SQLite file, generated secret key) is the only place it writes.
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /data --shell /usr/sbin/nologin gateway \
 && mkdir -p /data && chown gateway:gateway /data && chmod 0700 /data
USER gateway
ENV GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8080 \
    GATEWAY_DATA_DIR=/data \
    GATEWAY_DEMO=false
VOLUME ["/data"]
EXPOSE 8080
# The slim image has no curl: node's own fetch asks /healthz (the process is alive).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GATEWAY_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form, PID 1): serve drains and exits 0.
ENTRYPOINT ["node", "bin/oauth-gateway.js"]
CMD ["serve"]
