# Image for the API and the worker (same code, different command; see docker-compose.yml).
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno fonts-noto-cjk poppler-utils && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build:ui
ENV NODE_ENV=production
# libuv's thread pool per process (fs, crypto, argon2 logins, sharp and resvg seal drawings share it; Node's default is 4).
# Read when the process starts: it must be in the environment, it cannot be set from inside.
ENV UV_THREADPOOL_SIZE=8
CMD ["npx", "tsx", "api/main.ts"]
