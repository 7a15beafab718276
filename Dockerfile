FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY connectors ./connectors
COPY dialogues ./dialogues
COPY nlu ./nlu
COPY storage ./storage
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["lapor", "serve"]
