/* Being written. */
#include "voice.h"
#include "voice_http.h"
#include "../base/banned.h"

void reception_http_register(void)
{
}
