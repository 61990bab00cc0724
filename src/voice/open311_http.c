/* Being written. */
#include "voice.h"
#include "voice_http.h"
#include "../base/banned.h"

void open311_http_register(void)
{
}
