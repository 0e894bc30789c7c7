# Image for the API and the worker (same code, different command; see docker-compose.yml).
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno fonts-noto-cjk poppler-utils && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build:ui
ENV NODE_ENV=production
CMD ["npx", "tsx", "api/main.ts"]
