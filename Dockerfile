# One image for every service of compose.yaml (the command chooses which).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md* ./
COPY pustaka ./pustaka
COPY services ./services
COPY search ./search
COPY seeds ./seeds
RUN pip install . && useradd --system --create-home --home-dir /var/lib/pustaka pustaka \
    && install -d -o pustaka -g pustaka /var/lib/pustaka/backups  # the backups volume inherits this owner

USER pustaka
ENV PUSTAKA_SEEDS_DIR=/app/seeds
EXPOSE 8000
CMD ["uvicorn", "pustaka.asgi:catalog", "--factory", "--host", "0.0.0.0", "--port", "8000"]
