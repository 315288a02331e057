FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.build.json ./
COPY src/ ./src/
RUN npm run build && npm prune --omit=dev
