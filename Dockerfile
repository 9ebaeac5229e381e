# The DISCO service manager. Multi-stage: native modules (better-sqlite3) are built in the
# first stage; the runtime image has no compiler and runs as an unprivileged user.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production SM_HOST=0.0.0.0 SM_DATA_DIR=/data SM_MODE=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY etc ./etc
COPY templates ./templates
COPY frameworks ./frameworks
RUN useradd --system --uid 10001 --home /data disco && mkdir -p /data && chown disco /data
USER disco
VOLUME /data
EXPOSE 8888 8889
CMD ["node", "--import", "tsx", "src/main.ts"]
