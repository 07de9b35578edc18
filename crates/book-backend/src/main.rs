//! The `GET /book` Lambda (proxy integration): the seed's message, a book,
//! and what the authorizer passed on, with CORS headers so the SPA can read
//! it. One binary serves both API variants; the authorizer's shape tells
//! them apart.

mod book;

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let message =
        std::env::var("BOOK_MESSAGE").unwrap_or_else(|_| book_backend::DEFAULT_MESSAGE.into());
    let message = message.as_str();
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayProxyRequest>| async move {
            Ok::<ApiGatewayProxyResponse, Error>(book::respond(&event.payload, message))
        },
    ))
    .await
}
