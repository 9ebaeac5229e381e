# The DISCO service manager. Multi-stage: native modules (better-sqlite3) are built in the
# first stage; the runtime image has no compiler and runs as an unprivileged user.
# BASE: any Debian 12 image with Node.js 20 and npm in /usr/local (the image test makes one locally).
ARG BASE=node:20-bookworm-slim
FROM ${BASE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${BASE}
ENV NODE_ENV=production SM_HOST=0.0.0.0 SM_DATA_DIR=/data SM_MODE=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY etc ./etc
COPY templates ./templates
COPY frameworks ./frameworks
RUN useradd --uid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin disco && mkdir -p /data && chown disco /data
USER disco
VOLUME /data
EXPOSE 8888 8889
CMD ["node", "--import", "tsx", "src/main.ts"]
